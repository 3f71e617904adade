"""python -m scripts.extract: a by-name list for a program, from the restricted zone, for an
authorised requester, logged (README "By-name lists for programs").

    python -m scripts.extract --profile pkh_candidates --region 1272010 \
        --requester "Siti Aminah" --organisation dinsos_kota_tanjung_balai \
        --purpose "Validasi calon penerima PKH 2018" --legal-basis "460/123/DINSOS/2018"
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from scripts.build.paths import WarehouseFolder, warehouse_folder
from scripts.restricted_files import owner_only_files, owner_only_folder

from . import profiles as config
from .audit import AUDIT_LOG, AuditEntry, append_entry, file_sha256
from .criteria import PROGRAMS, Criteria
from .encryption import PASSPHRASE_VARIABLE, passphrase_refusal_reason, write_encrypted_workbook
from .folders import extracts_folder
from .handover import HandedFile, Handover, handover_number, handover_path, write_handover
from .profiles import Profile
from .query import Extract, extract_rows, restricted_connection
from .request import Request, refusal_reason, request_criteria
from .workbook import Cover, write_csv, write_workbook

# The public tier (python -m scripts.publish --out, default output/): never a place for a list.
PUBLIC_OUTPUT_FOLDER = "output"
REFUSED = 2


@dataclass(frozen=True)
class Outcome:
    refused: bool
    message: str
    files: tuple[Path, ...] = ()
    row_count: int | None = None


def public_output_reason(out: Path) -> str | None:
    """Why `out` may not receive a list (it is inside a folder named output/, the public
    tier), or None."""
    if PUBLIC_OUTPUT_FOLDER in out.resolve().parts:
        return (
            f"refused: {out} is inside {PUBLIC_OUTPUT_FOLDER}/, the public tier; "
            "lists go to a restricted folder"
        )
    return None


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.extract", description=__doc__)
    parser.add_argument("--profile", required=True, help="a profile of extracts/profiles.yml")
    parser.add_argument("--region", help="BPS region code prefix (e.g. 1272 or 1272010)")
    parser.add_argument(
        "--desil-min", type=int, help="lowest desil (profiles with a desil criterion)"
    )
    parser.add_argument("--desil-max", type=int, help="highest desil")
    parser.add_argument(
        "--priority-group", help="priority groups, comma-separated (1 = helped first)"
    )
    parser.add_argument(
        "--receiving", help=f"only households receiving these programs ({', '.join(PROGRAMS)})"
    )
    parser.add_argument("--not-receiving", help="only households not receiving these programs")
    parser.add_argument(
        "--delivery-status",
        help="only households of this status in the current delivery (new, continuing, ...)",
    )
    parser.add_argument(
        "--months-since-change-min", type=int, help="only households unchanged this long"
    )
    parser.add_argument(
        "--nik-problem", help="only members whose NIK has these problems (missing, ...)"
    )
    parser.add_argument("--requester", help="name of the person who asked for the list")
    parser.add_argument("--organisation", help="a key of extracts/requesters.yml")
    parser.add_argument("--purpose", help="what the list is for")
    parser.add_argument("--legal-basis", help="reference number of the request letter")
    parser.add_argument(
        "--warehouse", help="warehouse folder (default BDT_WAREHOUSE_DIR or warehouse)"
    )
    parser.add_argument(
        "--out",
        help="folder of the files and the audit log (default BDT_EXTRACTS_DIR or "
        "<warehouse>/extracts)",
    )
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt the workbook with the passphrase in {PASSPHRASE_VARIABLE} (no CSV)",
    )
    parser.add_argument("--steward", help="the data steward's name on the Berita Acara")
    return parser.parse_args(argv)


def request_of(arguments: argparse.Namespace) -> Request:
    return Request(
        profile=arguments.profile,
        requester=arguments.requester,
        organisation=arguments.organisation,
        purpose=arguments.purpose,
        legal_basis=arguments.legal_basis,
        region=arguments.region,
        desil_min=arguments.desil_min,
        desil_max=arguments.desil_max,
        priority_group=arguments.priority_group,
        receiving=arguments.receiving,
        not_receiving=arguments.not_receiving,
        delivery_status=arguments.delivery_status,
        months_since_change_min=arguments.months_since_change_min,
        nik_problem=arguments.nik_problem,
    )


def file_stem(request: Request, moment: datetime) -> str:
    """The files' name: profile, region and UTC time to the microsecond (no personal data), so
    that a re-run never overwrites an earlier list."""
    return f"{request.profile}_{request.region}_{moment:%Y%m%dT%H%M%S%fZ}"


def cover_of(
    request: Request,
    organisation_name: str,
    title: str,
    criteria: dict,
    extract: Extract,
    moment: datetime,
) -> Cover:
    described = ", ".join(f"{key} {value}" for key, value in criteria.items())
    delivery = f"{extract.delivery.name} (keadaan / as of {extract.delivery.as_of_date:%Y-%m-%d})"
    return Cover(
        title=title,
        lines=(
            ("Pemohon (requester)", request.requester or ""),
            ("Instansi (organisation)", organisation_name),
            ("Tujuan (purpose)", request.purpose or ""),
            ("Dasar hukum / nomor surat", request.legal_basis or ""),
            ("Profil (profile)", request.profile),
            ("Kriteria (criteria)", described),
            ("Data (delivery)", delivery),
            ("Jumlah baris (rows)", str(len(extract.rows))),
            ("Tanggal (date, UTC)", f"{moment:%Y-%m-%d %H:%M:%S}"),
        ),
    )


def warehouse_extract(folder: WarehouseFolder, profile: Profile, criteria: Criteria) -> Extract:
    """The rows of the extract from the warehouse's restricted zone; a clear error when the
    warehouse is missing or being built (a DuckDB file being written cannot be read)."""
    for path in (folder.restricted, folder.bi):
        if not path.is_file():
            raise SystemExit(f"error: {path} does not exist: build the warehouse first (make run)")
    try:
        connection = restricted_connection(folder.restricted, folder.bi)
    except duckdb.IOException as error:
        raise SystemExit(
            f"error: cannot read {folder.restricted} and {folder.bi} now (a build is writing "
            f"them?): {error}"
        ) from error
    try:
        return extract_rows(connection, profile, criteria)
    finally:
        connection.close()


def data_files(
    out: Path, stem: str, cover: Cover, extract: Extract, passphrase: str | None
) -> tuple[Path, ...]:
    """The list's files: the workbook and the CSV, or with a passphrase the encrypted workbook
    alone (the only file with personal data)."""
    workbook = out / f"{stem}.xlsx"
    if passphrase is not None:
        return (
            write_encrypted_workbook(workbook, cover, extract.columns, extract.rows, passphrase),
        )
    return (
        write_workbook(workbook, cover, extract.columns, extract.rows),
        write_csv(out / f"{stem}.csv", extract.columns, extract.rows),
    )


def run_extract(arguments: argparse.Namespace) -> Outcome:
    """Serve or refuse the request; either way, log it."""
    moment = datetime.now(UTC)
    request = request_of(arguments)
    folder = warehouse_folder(arguments.warehouse)
    out = Path(arguments.out) if arguments.out else extracts_folder(folder)
    public_reason = public_output_reason(out)
    # A refusal for an --out in the public tier is logged in the default folder, not there.
    log = (extracts_folder(folder) if public_reason else out) / AUDIT_LOG
    known_profiles = config.profiles()
    known_organisations = config.organisations()
    entry = dict(
        logged_at=moment.isoformat(timespec="seconds"),
        requester=request.requester,
        organisation=request.organisation,
        purpose=request.purpose,
        legal_basis=request.legal_basis,
        profile=request.profile,
    )
    reason = (
        public_reason
        or refusal_reason(request, known_profiles, known_organisations)
        or passphrase_refusal_reason(arguments.encrypt, os.environ)
    )
    if reason is not None:
        append_entry(
            log, AuditEntry(**entry, criteria=request.asked(), refused=True, reason=reason)
        )
        return Outcome(refused=True, message=reason)
    profile = known_profiles[request.profile]
    organisation = known_organisations[request.organisation or ""]
    criteria = request_criteria(request, profile)
    extract = warehouse_extract(folder, profile, criteria)
    with owner_only_files():
        owner_only_folder(out)
    stem = file_stem(request, moment)
    cover = cover_of(
        request, organisation.name, profile.title, criteria.described(), extract, moment
    )
    passphrase = os.environ[PASSPHRASE_VARIABLE] if arguments.encrypt else None
    handed = [
        HandedFile(path.name, file_sha256(path), arguments.encrypt)
        for path in data_files(out, stem, cover, extract, passphrase)
    ]
    record = write_handover(
        handover_path(out, stem),
        Handover(
            number=handover_number(stem),
            moment=moment,
            steward=arguments.steward,
            requester=request.requester or "",
            organisation=organisation.name,
            legal_basis=request.legal_basis or "",
            purpose=request.purpose or "",
            cover=cover,
            files=handed,
        ),
    )
    files = (*(out / file.name for file in handed), record)
    # The data files were hashed once for the Berita Acara; only the record is hashed here.
    logged_files = [
        *({"name": file.name, "sha256": file.sha256} for file in handed),
        {"name": record.name, "sha256": file_sha256(record)},
    ]
    append_entry(
        log,
        AuditEntry(
            **entry,
            criteria=criteria.described(),
            delivery=extract.delivery.name,
            refused=False,
            row_count=len(extract.rows),
            encrypted=arguments.encrypt,
            files=logged_files,
        ),
    )
    written = (
        f"{files[0]}, encrypted with the passphrase of {PASSPHRASE_VARIABLE} (no CSV with "
        "--encrypt)"
        if arguments.encrypt
        else f"{files[0]} and {files[1]}"
    )
    message = (
        f"{len(extract.rows)} rows written to {written}; Berita Acara serah terima data "
        f"{record}; logged in {log}"
    )
    return Outcome(refused=False, message=message, files=files, row_count=len(extract.rows))


def main(argv: Sequence[str] | None = None) -> int:
    outcome = run_extract(parse_arguments(argv))
    print(outcome.message, file=sys.stderr if outcome.refused else sys.stdout)
    return REFUSED if outcome.refused else 0


if __name__ == "__main__":
    sys.exit(main())
