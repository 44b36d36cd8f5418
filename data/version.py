"""The release this checkout is: ``RELEASE`` (calendar version ``YYYY.MM.N``, tagged ``vYYYY.MM.N``
in git; CHANGELOG.md says what changed). pyproject.toml reads it from here."""
RELEASE = "2026.12.2"
