; Inno Setup script: installs the PyInstaller folder for the current user, no admin rights
; needed (office PCs are often locked down). Build dist\LaborStation first.
[Setup]
AppName=LaborStation 乡镇劳动保障所工作平台
AppVersion=0.1.0
DefaultDirName={localappdata}\Programs\LaborStation
DefaultGroupName=LaborStation
PrivilegesRequired=lowest
OutputBaseFilename=LaborStation-Setup
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\dist\LaborStation\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\劳动保障所工作平台"; Filename: "{app}\laborstation.exe"
Name: "{userdesktop}\劳动保障所工作平台"; Filename: "{app}\laborstation.exe"

[Run]
Filename: "{app}\laborstation.exe"; Description: "启动程序"; Flags: nowait postinstall skipifsilent
