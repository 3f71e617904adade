"""The files of a by-name extract beyond the list itself: the workbook encrypted with a
passphrase from the environment (--encrypt, no CSV), and the Berita Acara serah terima data
written beside every served list.

The same request is served twice from the sample, once in clear and once encrypted: the
encrypted workbook, decrypted here with msoffcrypto, must hold the same list as the clear one;
the hashes are computed here from the files' bytes; the names and NIKs that must not appear in
the Berita Acara are read from the clear CSV."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from zipfile import BadZipFile

import msoffcrypto
import pytest
import yaml
from msoffcrypto.exceptions import InvalidKeyError
from openpyxl import Workbook, load_workbook

from scripts.extract.__main__ import main
from scripts.extract.audit import AUDIT_LOG, entries
from scripts.extract.encryption import (
    PASSPHRASE_MIN_LENGTH,
    PASSPHRASE_VARIABLE,
    passphrase_refusal_reason,
)
from scripts.extract.profiles import REQUESTERS_FILE
from scripts.extract.workbook import CONFIDENTIALITY_CLAUSE
from scripts.restricted_files import is_owner_only
from tests.python.test_extract import (
    ACCOUNTABILITY,
    CITY,
    CITY_OFFICE,
    clean,
    csv_rows,
    extract_files,
    request_arguments,
)
from tests.python.warehouse import Warehouse

PROFILE = "nik_followup"
PASSPHRASE = "uji-kata-sandi-2026"
WRONG_PASSPHRASE = "uji-kata-sandi-2027"
SHORT_PASSPHRASE = "pendek-" + "9" * (PASSPHRASE_MIN_LENGTH - len("pendek-") - 1)
STEWARD = "Wali Data Uji"
HANDOVER_SUFFIX = "_berita_acara.html"
LEGAL_BASIS_LINES = (
    "Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi",
    "Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik",
    "pasal 26",
    "Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Nomor 82 Tahun 2012",
    "pasal 15",
)
COVER_TIME_LABEL = "Tanggal (date, UTC)"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True)
class Served:
    """The clear and the encrypted extract of the same request, each in its own folder, and
    what openpyxl was asked to save the encrypted run's workbook to."""

    clear: Path
    encrypted: Path
    saved_to: tuple[object, ...]


@pytest.fixture(scope="module")
def served(sample_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Served:
    root = tmp_path_factory.mktemp("extract_files")
    clear, encrypted = root / "clear", root / "encrypted"
    saved_to: list[object] = []
    save = Workbook.save

    def recorded_save(workbook: Workbook, target: object) -> None:
        saved_to.append(target)
        save(workbook, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(PASSPHRASE_VARIABLE, raising=False)
        arguments = request_arguments(PROFILE, CITY, CITY_OFFICE, clear, sample_warehouse.folder)
        assert main(arguments) == 0
        patch.setenv(PASSPHRASE_VARIABLE, PASSPHRASE)
        patch.setattr(Workbook, "save", recorded_save)
        arguments = request_arguments(
            PROFILE, CITY, CITY_OFFICE, encrypted, sample_warehouse.folder
        )
        assert main([*arguments, "--encrypt", "--steward", STEWARD]) == 0
    return Served(clear, encrypted, tuple(saved_to))


def only_workbook(folder: Path) -> Path:
    (workbook,) = sorted(folder.glob(f"{PROFILE}_*.xlsx"))
    return workbook


def handover_of(workbook: Path) -> Path:
    return workbook.with_name(workbook.stem + HANDOVER_SUFFIX)


def decrypted(path: Path, passphrase: str) -> BytesIO:
    """The workbook at `path` decrypted with `passphrase` (msoffcrypto, password verified)."""
    with path.open("rb") as handle:
        office_file = msoffcrypto.OfficeFile(handle)
        office_file.load_key(password=passphrase, verify_password=True)
        plain = BytesIO()
        office_file.decrypt(plain)
    plain.seek(0)
    return plain


def sheet_values(source: Path | BytesIO) -> dict[str, list[list[object]]]:
    """Each sheet's cell values, row by row."""
    workbook = load_workbook(source)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def page_text(path: Path) -> str:
    """The visible text of an HTML page: tags removed, entities decoded, blanks collapsed."""
    markup = path.read_text(encoding="utf-8")
    body = markup[markup.index("<body>") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_encrypted_workbook_opens_with_the_passphrase_and_holds_the_clear_list(
    served: Served,
) -> None:
    clear_workbook, clear_csv = extract_files(served.clear, PROFILE)
    clear = sheet_values(clear_workbook)
    opened = sheet_values(decrypted(only_workbook(served.encrypted), PASSPHRASE))
    assert list(opened) == list(clear) == ["Sampul", "Daftar"]
    assert len(clear["Daftar"]) == len(csv_rows(clear_csv)) + 1 > 1
    assert opened["Daftar"] == clear["Daftar"]
    # The cover sheets differ at most by the time of the request.
    timeless = [
        [row for row in cover if row[0] != COVER_TIME_LABEL]
        for cover in (opened["Sampul"], clear["Sampul"])
    ]
    assert timeless[0] == timeless[1]
    assert len(timeless[0]) == len(opened["Sampul"]) - 1


def test_the_encrypted_workbook_is_excels_agile_encryption_and_needs_the_passphrase(
    served: Served,
) -> None:
    path = only_workbook(served.encrypted)
    assert path.read_bytes().startswith(OLE_MAGIC)
    with path.open("rb") as handle:
        office_file = msoffcrypto.OfficeFile(handle)
        assert office_file.is_encrypted() and office_file.type == "agile"
    with pytest.raises(BadZipFile):
        load_workbook(path)
    with pytest.raises(InvalidKeyError):
        decrypted(path, WRONG_PASSPHRASE)
    with path.open("rb") as handle:
        office_file = msoffcrypto.OfficeFile(handle)
        office_file.load_key(password=WRONG_PASSPHRASE)
        with pytest.raises(InvalidKeyError):
            office_file.decrypt(BytesIO())


def test_with_encrypt_the_encrypted_workbook_is_the_only_file_with_personal_data(
    served: Served,
) -> None:
    workbook = only_workbook(served.encrypted)
    assert sorted(path.name for path in served.encrypted.iterdir()) == sorted(
        [AUDIT_LOG, workbook.name, handover_of(workbook).name]
    )
    clear_workbook, clear_csv = extract_files(served.clear, PROFILE)
    assert sorted(path.name for path in served.clear.iterdir()) == sorted(
        [AUDIT_LOG, clear_workbook.name, clear_csv.name, handover_of(clear_workbook).name]
    )
    # The clear workbook was only ever saved into memory, never to a file.
    assert served.saved_to and all(isinstance(target, BytesIO) for target in served.saved_to)
    for folder in (served.clear, served.encrypted):
        assert is_owner_only(folder)
        assert all(is_owner_only(path) for path in folder.iterdir())


def test_the_log_records_encryption_and_the_sha256_of_each_file_as_written(
    served: Served,
) -> None:
    for folder, encrypted in ((served.clear, False), (served.encrypted, True)):
        (entry,) = entries(folder / AUDIT_LOG)
        assert entry["refused"] is False and entry["encrypted"] is encrypted
        assert {file["name"]: file["sha256"] for file in entry["files"]} == {
            path.name: sha256_of(path) for path in folder.iterdir() if path.name != AUDIT_LOG
        }
        assert PASSPHRASE not in (folder / AUDIT_LOG).read_text(encoding="utf-8")


def test_the_berita_acara_records_the_request_and_each_data_files_sha256(
    served: Served,
) -> None:
    organisation = yaml.safe_load(REQUESTERS_FILE.read_text(encoding="utf-8"))["organisations"][
        CITY_OFFICE
    ]["name"]
    clear_workbook, clear_csv = extract_files(served.clear, PROFILE)
    row_count = len(csv_rows(clear_csv))
    encrypted_workbook = only_workbook(served.encrypted)
    cases = (
        (clear_workbook, (clear_workbook, clear_csv), "tidak terenkripsi"),
        (encrypted_workbook, (encrypted_workbook,), "terenkripsi (kata sandi)"),
    )
    for workbook, data_files, encryption in cases:
        text = page_text(handover_of(workbook))
        assert text.startswith("RAHASIA BERITA ACARA SERAH TERIMA DATA")
        assert f"Nomor: BA/{workbook.stem}" in text
        assert f"Nama : {ACCOUNTABILITY['--requester']}" in text
        assert f"Instansi : {organisation}" in text
        assert f"surat permohonan nomor {ACCOUNTABILITY['--legal-basis']}" in text
        assert f"untuk tujuan: {ACCOUNTABILITY['--purpose']}" in text
        assert f"Jumlah baris (rows) {row_count} " in text
        for path in data_files:
            assert f"{path.name} {sha256_of(path)} {encryption}" in text
        assert " ".join(CONFIDENTIALITY_CLAUSE.split()) in text
        assert all(line in text for line in LEGAL_BASIS_LINES)
        assert text.count("Nama :") == 2
        assert PASSPHRASE not in text
    assert f"Nama : {STEWARD} " in page_text(handover_of(encrypted_workbook))
    assert STEWARD not in page_text(handover_of(clear_workbook))


def test_the_berita_acara_holds_no_name_or_nik_of_the_list(served: Served) -> None:
    _, clear_csv = extract_files(served.clear, PROFILE)
    rows = csv_rows(clear_csv)
    names = {clean(row["full_name"]) for row in rows} - {None}
    niks = {clean(row["nik"]) for row in rows} - {None}
    assert names and niks, "the list has no name or NIK: the test would prove nothing"
    for workbook in (only_workbook(served.clear), only_workbook(served.encrypted)):
        text = page_text(handover_of(workbook)).upper()
        assert not {name for name in names if re.search(rf"\b{re.escape(name)}\b", text)}
        assert not {nik for nik in niks if nik in text}


@pytest.mark.parametrize(
    ("passphrase", "says"),
    [
        (None, f"needs the passphrase in the environment variable {PASSPHRASE_VARIABLE}"),
        (SHORT_PASSPHRASE, f"shorter than {PASSPHRASE_MIN_LENGTH} characters"),
    ],
)
def test_encrypt_without_a_long_enough_passphrase_is_refused_and_logged(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    passphrase: str | None,
    says: str,
) -> None:
    if passphrase is None:
        monkeypatch.delenv(PASSPHRASE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(PASSPHRASE_VARIABLE, passphrase)
    out = tmp_path / "extracts"
    # No warehouse at all: a refused request never reads the restricted zone.
    arguments = request_arguments(PROFILE, CITY, CITY_OFFICE, out, tmp_path / "no_warehouse")
    assert main([*arguments, "--encrypt"]) != 0
    message = capsys.readouterr().err
    assert message.startswith("refused") and says in message
    (entry,) = entries(out / AUDIT_LOG)
    assert entry["refused"] is True and says in entry["reason"]
    assert entry["files"] == [] and entry["row_count"] is None
    assert sorted(path.name for path in out.iterdir()) == [AUDIT_LOG]
    if passphrase is not None:
        assert passphrase not in message
        assert passphrase not in (out / AUDIT_LOG).read_text(encoding="utf-8")


def test_a_passphrase_of_the_minimum_length_is_accepted() -> None:
    enough = {PASSPHRASE_VARIABLE: "x" * PASSPHRASE_MIN_LENGTH}
    assert passphrase_refusal_reason(True, enough) is None
    assert passphrase_refusal_reason(False, {}) is None
    assert passphrase_refusal_reason(True, {}) is not None
