#!/bin/sh
# azd postprovision: create the function identity's PostgreSQL role, apply migrations, grant table rights.
# The work is in postprovision.py (one implementation for both shells); it needs the project's Python
# environment (pip install -r requirements.txt) because it applies voiceops' own migrations.
set -eu
cd "$(dirname "$0")/../.."
python_bin=${VOICEOPS_PYTHON:-.venv/bin/python}
[ -x "$python_bin" ] || python_bin=python3
exec "$python_bin" infra/hooks/postprovision.py
