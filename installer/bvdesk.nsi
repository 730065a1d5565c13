; bvdesk Windows installer (NSIS 3, Unicode, Modern UI 2).
;
; Wraps the PyInstaller one-folder bundle (dist\bvdesk\) built on Windows. Build it with
; `python installer\build.py nsis` (see installer\README.md), which passes:
;   /DVERSION=0.1.0            the package version (bvdesk.__version__)
;   /DVERSION_NUMERIC=0.1.0.0  the same as four numbers, for the Windows version resource
;   /DBUNDLE_DIR=...           the one-folder bundle to install
;   /DICON=...                 resources\icons\bvdesk.ico
;   /DOUTFILE=...              where to write the installer
;
; Per-machine (Program Files, HKLM, needs admin) or per-user (%LOCALAPPDATA%\Programs, HKCU):
; chosen on the install-mode page, or silently with /AllUsers or /CurrentUser plus /S.
; The uninstaller removes only what the installer put down; databases (*.bvdesk, *.sqlite) and
; their "-backups" folders stay where they are, wherever they were saved.

Unicode true
SetCompressor /SOLID lzma

!ifndef VERSION | VERSION_NUMERIC | BUNDLE_DIR | ICON | OUTFILE
  !error "Define VERSION, VERSION_NUMERIC, BUNDLE_DIR, ICON and OUTFILE (installer\build.py does)"
!endif

!define APP "bvdesk"
!define PUBLISHER "bvdesk contributors"
!define DESCRIPTION "Best Value self-assessment for registered social landlords"
!define EXE "bvdesk.exe"
!define DB_EXT ".bvdesk"
!define DB_PROGID "bvdesk.Database"
!define APP_KEY "Software\${APP}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion "${VERSION_NUMERIC}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "GPL-3.0-or-later"

; --- per-machine or per-user ------------------------------------------------------------------
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallDir"
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP} now"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; --- what gets installed ------------------------------------------------------------------------

Section "${APP} (required)" SecApp
  SectionIn RO
  ; A previous version's libraries go first, so no stale file outlives an upgrade.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "${DESCRIPTION}"

  WriteRegStr SHCTX "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "${DESCRIPTION}"
SectionEnd

Section "Open ${DB_EXT} database files with ${APP}" SecAssoc
  WriteRegStr SHCTX "Software\Classes\${DB_EXT}" "" "${DB_PROGID}"
  WriteRegStr SHCTX "Software\Classes\${DB_PROGID}" "" "${APP} database"
  WriteRegStr SHCTX "Software\Classes\${DB_PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "Software\Classes\${DB_PROGID}\shell\open\command" "" \
    '"$INSTDIR\${EXE}" --db "%1"'
  ; SHCNE_ASSOCCHANGED: Explorer picks up the new icon without a log-off.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "The ${APP} program files."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "A shortcut to ${APP} on the desktop."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAssoc} \
    "Double-clicking a ${DB_EXT} file opens it in ${APP}."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; --- uninstall: our files only -------------------------------------------------------------------

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"

  ; The association is removed only while it still points at this program.
  ReadRegStr $0 SHCTX "Software\Classes\${DB_EXT}" ""
  ${If} $0 == "${DB_PROGID}"
    DeleteRegKey SHCTX "Software\Classes\${DB_EXT}"
  ${EndIf}
  DeleteRegKey SHCTX "Software\Classes\${DB_PROGID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${APP_KEY}"

  ; Named files and the bundle's own folder; never a recursive delete of $INSTDIR, so a
  ; database or backup folder someone saved here survives (and keeps the folder).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\bvdesk.exe"
  Delete "$INSTDIR\bvdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
