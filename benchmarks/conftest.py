"""The benchmarks use the test suite's session fixtures (the committed ledger and model)."""

from tests.conftest import fw, ledger, model, scores, w0  # noqa: F401
