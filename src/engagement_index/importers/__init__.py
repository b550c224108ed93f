"""Dataset importers: one module per external dataset, plus :mod:`.registry` (id, citation,
complete-register scope, importer and command of each dataset). Importers turn raw files
from ``../shared/data`` into derived ledger rows under ``indicators/derived/``."""
