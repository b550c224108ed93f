"""Importers that turn raw external datasets into derived ledger rows."""
