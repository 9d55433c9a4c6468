from tests.assessment.conftest import small_registry  # noqa: F401  (shared fixture)
