# bvdesk developer entry point for Windows (PowerShell): the same two steps as ./dev.
#   .\dev.ps1 app    set up, create the demo database if needed, and start the desktop app
#   .\dev.ps1 test   set up and run the whole test suite
#   .\dev.ps1 quick  the quick tier: unit tests in this process, not marked slow
param([Parameter(Mandatory = $true)][ValidateSet("app", "test", "quick")][string]$Command,
      [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$venv = Join-Path $PSScriptRoot ".venv"
$python = Join-Path $venv "Scripts\python.exe"
$stamp = Join-Path $venv ".bvdesk-installed"

if (-not (Test-Path $python)) {
    Write-Host "Setting up bvdesk in .venv (first run only)..."
    py -3 -m venv $venv
}
$lock = Get-Item requirements.lock
$project = Get-Item pyproject.toml
if (-not (Test-Path $stamp) -or $lock.LastWriteTime -gt (Get-Item $stamp).LastWriteTime -or
    $project.LastWriteTime -gt (Get-Item $stamp).LastWriteTime) {
    & $python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
    & $python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    New-Item -ItemType File -Force $stamp | Out-Null
}

if ($Command -eq "app") {
    $db = if ($env:BVDESK_DB) { $env:BVDESK_DB } else { Join-Path $PSScriptRoot "demo.bvdesk" }
    & (Join-Path $venv "Scripts\bvdesk.exe") demo --db $db
    & (Join-Path $venv "Scripts\bvdesk.exe") --db $db
} elseif ($Command -eq "quick") {
    $env:BVDESK_QUICK = "1"
    & $python -m pytest -q -m "not slow" tests/unit @Rest
} else {
    & $python -m pytest @Rest
}
exit $LASTEXITCODE
