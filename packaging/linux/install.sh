#!/bin/sh
# Installs the desktop bundle this script sits in, so that desktops find it: the folder is copied
# to $PREFIX/lib/meta-creation-studio, the command linked into $PREFIX/bin, the .desktop entry put in
# $PREFIX/share/applications and the icon in $PREFIX/share/icons/hicolor/256x256/apps.
# PREFIX defaults to ~/.local (no root needed); `sudo PREFIX=/usr/local ./install.sh` installs for
# every user. `./install.sh --uninstall` removes what it installed.
set -eu
NAME=meta-creation-studio
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
APPDIR=$PREFIX/lib/$NAME
BINDIR=$PREFIX/bin
DESKTOPDIR=$PREFIX/share/applications
ICONDIR=$PREFIX/share/icons/hicolor/256x256/apps

refresh() {
    # Desktops pick up new entries by themselves; these make it immediate where the tools exist.
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DESKTOPDIR" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APPDIR"
    rm -f "$BINDIR/$NAME" "$DESKTOPDIR/$NAME.desktop" "$ICONDIR/$NAME.png"
    refresh
    echo "removed $NAME from $PREFIX"
    exit 0
fi

if [ ! -x "$HERE/$NAME" ] || [ ! -d "$HERE/_internal" ]; then
    echo "error: $HERE is not a built bundle (no $NAME executable beside _internal/); run make bundle" >&2
    exit 2
fi

mkdir -p "$APPDIR" "$BINDIR" "$DESKTOPDIR" "$ICONDIR"
if [ "$HERE" != "$APPDIR" ]; then
    rm -rf "$APPDIR"
    cp -a "$HERE" "$APPDIR"
fi
ln -sf "$APPDIR/$NAME" "$BINDIR/$NAME"
cp "$HERE/$NAME.png" "$ICONDIR/$NAME.png"
# The entry names the installed executable by its full path: ~/.local/bin is not on every PATH.
sed -e "s|^Exec=$NAME|Exec=\"$APPDIR/$NAME\"|" -e "s|^TryExec=$NAME|TryExec=$APPDIR/$NAME|" \
    "$HERE/$NAME.desktop" > "$DESKTOPDIR/$NAME.desktop"
chmod 644 "$DESKTOPDIR/$NAME.desktop"
refresh
echo "installed $NAME in $APPDIR; menu entry $DESKTOPDIR/$NAME.desktop; command $BINDIR/$NAME"
