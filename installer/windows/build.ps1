# Build the Campus Kiosk client bundle on Windows: dist\campus-kiosk\campus-kiosk.exe (one folder).
# UNTESTED: written alongside the Linux build, which is what CI runs; nobody has run this on Windows yet.
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1 [-Python py] [-Zip]
#
# Same spec as Linux (installer/bundle/campus-kiosk.spec): only the QML modules, plugins and Qt translations
# the client uses. The ELF pass that drops unneeded Qt libraries is Linux-only, so expect a larger folder.
param(
    [string]$Python = "py",
    [switch]$Zip
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

$Venv = Join-Path $Root ".venv-win"
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    & $Python -3.11 -m venv $Venv
    if ($LASTEXITCODE -ne 0) { throw "could not create $Venv (Python 3.11 needed)" }
}
$Py = Join-Path $Venv "Scripts\python.exe"
& $Py -m pip install -q --upgrade pip
# The client and PyInstaller only: no [server] extra, so nothing of the sync server can end up in the bundle.
& $Py -m pip install -q -e ".[package]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Py installer\bundle\build.py
if ($LASTEXITCODE -ne 0) { throw "bundle build failed" }

$Bundle = Join-Path $Root "dist\campus-kiosk"
if ($Zip) {
    $Archive = Join-Path $Root "dist\campus-kiosk-windows.zip"
    if (Test-Path $Archive) { Remove-Item $Archive }
    Compress-Archive -Path $Bundle -DestinationPath $Archive
    Write-Host "wrote $Archive"
}
Write-Host "bundle: $Bundle\campus-kiosk.exe  (try: campus-kiosk.exe --mode desk --server http://host:8765)"
