"""FKP (Forum Konsultasi Publik) results: one row per SLS of every desa, as on each desa's
Berita Acara. The FKP list is wider than the BDT (the 40% kept after ranking): Jumlah is at
least the BDT households of the SLS, and 3-12% of it was added at the forum."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from scripts.generate.plan import Plan
from scripts.generate.render import Columns, in_contract_order, region_columns, text
from scripts.generate.sampling import Stream, stream_rng


def fkp_columns(plan: Plan, seed: int) -> Columns:
    rng = stream_rng(seed, Stream.FKP)
    bdt = plan.sls_households
    n = bdt.shape[0]
    wider = np.ceil(bdt * rng.uniform(1.25, 2.2, size=n)).astype(np.int64) + rng.integers(
        0, 6, size=n
    )
    total = np.where(bdt > 0, wider, rng.integers(5, 60, size=n))
    added = np.round(total * rng.uniform(0.03, 0.12, size=n)).astype(np.int64)
    desa_code = plan.regions.desa_code[plan.sls_desa]
    values = {
        **region_columns(desa_code),
        "nama_desa": pa.array(plan.regions.desa_name[plan.sls_desa], type=pa.string()),
        "no_sls": text(plan.sls_number),
        "nama_sls": pa.array(plan.sls_name, type=pa.string()),
        "jumlah_prelist": text(total - added),
        "jumlah_tambahan": text(added),
        "jumlah": text(total),
    }
    return in_contract_order("fkp_sls_results", values)
