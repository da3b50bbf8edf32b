# azd postprovision: create the function identity's PostgreSQL role, apply migrations, grant table rights.
# The work is in postprovision.py (one implementation for both shells); it needs the project's Python
# environment (pip install -r requirements.txt) because it applies voiceops' own migrations.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '../..')
$python = $env:VOICEOPS_PYTHON
if (-not $python) {
  $python = if (Test-Path '.venv/Scripts/python.exe') { '.venv/Scripts/python.exe' } else { 'python' }
}
& $python infra/hooks/postprovision.py
exit $LASTEXITCODE
