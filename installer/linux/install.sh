#!/bin/sh
# Install IAPT Desktop for the current user (no root needed):
#   tar xzf iapt-desktop-*.tar.gz && cd iapt-desktop-* && ./install.sh
# Remove it again with:  ./install.sh --uninstall   (your data in ~/.local/share/IAPT Desktop is kept)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$prefix/iapt-desktop-app" "$bin/iapt-desktop" "$prefix/applications/iapt-desktop.desktop" \
        "$prefix/icons/hicolor/256x256/apps/iapt-desktop.png"
    echo "IAPT Desktop removed. Your data is still in $prefix/IAPT Desktop."
    exit 0
fi
mkdir -p "$prefix/iapt-desktop-app" "$bin" "$prefix/applications" "$prefix/icons/hicolor/256x256/apps"
rm -rf "$prefix/iapt-desktop-app"
cp -r "$here/iapt-desktop" "$prefix/iapt-desktop-app"
ln -sf "$prefix/iapt-desktop-app/iapt-desktop" "$bin/iapt-desktop"
cp "$here/iapt-desktop.png" "$prefix/icons/hicolor/256x256/apps/iapt-desktop.png"
sed "s|^Exec=iapt-desktop|Exec=$bin/iapt-desktop|" "$here/iapt-desktop.desktop" > "$prefix/applications/iapt-desktop.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$prefix/applications" || true
echo "IAPT Desktop installed. Start it from your applications menu or run: $bin/iapt-desktop"
