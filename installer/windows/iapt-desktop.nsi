; IAPT Desktop - Windows installer (NSIS 3).
; Built by installer/build.py on Windows:
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=dist\iapt-desktop -DOUTFILE=dist\IAPT-Desktop-0.1.0-setup.exe iapt-desktop.nsi
; Installs for the current user (no administrator rights needed) into %LOCALAPPDATA%\Programs.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "Pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE_DIR
  !error "Pass -DBUNDLE_DIR=<PyInstaller one-dir bundle>"
!endif
!if ! /FileExists "${BUNDLE_DIR}\iapt-desktop.exe"
  !error "${BUNDLE_DIR} has no iapt-desktop.exe: build the bundle with installer/build.py"
!endif
!if ! /FileExists "${BUNDLE_DIR}\iapt-desktop-cli.exe"
  !error "${BUNDLE_DIR} has no iapt-desktop-cli.exe (the console executable for the commands): rebuild with installer/iapt_desktop.spec"
!endif
!ifndef OUTFILE
  !define OUTFILE "IAPT-Desktop-${VERSION}-setup.exe"
!endif

!define APP_NAME "IAPT Desktop"
!define PUBLISHER "IAPT Desktop"
!define EXE_NAME "iapt-desktop.exe"
; The commands (iapt-desktop-cli <command>): a console executable, so they print in cmd and PowerShell.
!define CLI_EXE_NAME "iapt-desktop-cli.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\IAPTDesktop"
!define DB_EXTENSION ".iaptdb"
!define DB_PROGID "IAPTDesktop.Database"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\IAPT Desktop" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "..\..\resources\app\iapt-desktop.ico"
!define MUI_UNICON "..\..\resources\app\iapt-desktop.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${EXE_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  ; A Command Prompt where iapt-desktop-cli works by name (the user's PATH is left alone).
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} command line.lnk" "$SYSDIR\cmd.exe" \
    '/k "set "PATH=$INSTDIR;%PATH%" && cd /d "%USERPROFILE%" && "${CLI_EXE_NAME}" --help"' \
    "$INSTDIR\${EXE_NAME}" 0

  ; Open .iaptdb database files with the app (per user).
  WriteRegStr HKCU "Software\Classes\${DB_EXTENSION}" "" "${DB_PROGID}"
  WriteRegStr HKCU "Software\Classes\${DB_PROGID}" "" "${APP_NAME} database"
  WriteRegStr HKCU "Software\Classes\${DB_PROGID}\DefaultIcon" "" "$INSTDIR\${EXE_NAME},0"
  WriteRegStr HKCU "Software\Classes\${DB_PROGID}\shell\open\command" "" '"$INSTDIR\${EXE_NAME}" "%1"'

  WriteRegStr HKCU "Software\IAPT Desktop" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "un.${APP_NAME} (program files)" SecUninstallProgram
  SectionIn RO
  RMDir /r "$INSTDIR"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  DeleteRegKey HKCU "Software\Classes\${DB_PROGID}"
  ReadRegStr $0 HKCU "Software\Classes\${DB_EXTENSION}" ""
  StrCmp $0 "${DB_PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\${DB_EXTENSION}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\IAPT Desktop"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; Off unless ticked: patient databases, backups and logs are kept by default.
Section /o "un.My data: databases, backups and logs (cannot be undone)" SecUninstallData
  RMDir /r "$LOCALAPPDATA\IAPT Desktop"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecUninstallProgram} "Removes the program, its Start-menu entries and file association."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecUninstallData} "Also deletes every IAPT Desktop database, backup and log of this Windows user. Leave unticked to keep your records."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
