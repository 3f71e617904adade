"""The Berita Acara serah terima data of an extract: a printable A4 page (HTML) recording who
hands the list over (Pihak Pertama, the data steward) to whom (Pihak Kedua, the requester and
organisation), on which request letter, for what purpose, which files (name, sha256, encrypted
or not), the recipient's obligations and the legal basis, with two signature blocks. It is
written owner-only beside the list for every served request. It holds no personal data of the
listed people: only the request's facts, as on the workbook's cover sheet, and the files'
hashes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from scripts.publish.labels import date_label

from .workbook import CONFIDENTIALITY_CLAUSE, Cover, written_owner_only

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "berita_acara_serah_terima.html.j2"
HANDOVER_SUFFIX = "_berita_acara.html"
NUMBER_PREFIX = "BA"
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# What Pihak Kedua undertakes, after the workbook's confidentiality clause (CONFIDENTIALITY_CLAUSE).
OBLIGATIONS = (
    "Menggunakan data hanya untuk tujuan yang tercantum dalam Berita Acara ini.",
    "Tidak menggandakan, meneruskan, membagikan atau mengumumkan data kepada pihak lain, "
    "termasuk di dalam instansinya sendiri di luar petugas yang menangani tujuan tersebut.",
    "Menyimpan data secara aman: pada perangkat atau folder dengan akses terbatas dan kata "
    "sandi, tidak pada media publik atau layanan berbagi berkas terbuka; melaporkan segera "
    "kepada Pihak Pertama setiap kebocoran atau akses tidak sah.",
    "Memusnahkan seluruh salinan data (berkas, cetakan, lampiran surel) setelah tujuan "
    "tercapai, dan melaporkan pemusnahannya secara tertulis kepada Pihak Pertama.",
)
ENCRYPTED_OBLIGATION = (
    "Kata sandi berkas terenkripsi diterima secara terpisah dari berkasnya; tidak dicatat "
    "atau dikirim bersama berkas."
)
LEGAL_BASIS = (
    "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi;",
    "Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik beserta "
    "perubahannya, pasal 26;",
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
    "Peraturan Pemerintah Nomor 82 Tahun 2012 tentang Penyelenggaraan Sistem dan Transaksi "
    "Elektronik, pasal 15;",
)


@dataclass(frozen=True)
class HandedFile:
    name: str
    sha256: str
    encrypted: bool


@dataclass(frozen=True)
class Handover:
    number: str
    moment: datetime
    steward: str | None
    requester: str
    organisation: str
    legal_basis: str
    purpose: str
    cover: Cover
    files: Sequence[HandedFile]

    @property
    def encrypted(self) -> bool:
        return any(file.encrypted for file in self.files)


def handover_path(folder: Path, stem: str) -> Path:
    """Where the Berita Acara of the extract `stem` goes: beside its files."""
    return folder / f"{stem}{HANDOVER_SUFFIX}"


def handover_number(stem: str) -> str:
    """The Berita Acara's number: the extract's file stem (profile, region, UTC time), unique
    per extract."""
    return f"{NUMBER_PREFIX}/{stem}"


def indonesian_date(moment: datetime) -> str:
    """'Kamis, 3 Desember 2026'."""
    return f"{DAY_NAMES[moment.weekday()]}, {date_label(moment.date()).id}"


def handover_html(handover: Handover) -> str:
    """The Berita Acara page (A4 print CSS)."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    obligations = (CONFIDENTIALITY_CLAUSE, *OBLIGATIONS)
    if handover.encrypted:
        obligations = (*obligations, ENCRYPTED_OBLIGATION)
    return environment.get_template(TEMPLATE).render(
        handover=handover,
        date=indonesian_date(handover.moment),
        time=f"{handover.moment:%H:%M}",
        obligations=obligations,
        legal_basis=LEGAL_BASIS,
    )


def write_handover(path: Path, handover: Handover) -> Path:
    """The Berita Acara, written owner-only."""
    return written_owner_only(path, handover_html(handover).encode("utf-8"))
