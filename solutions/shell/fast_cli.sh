# Reference solution of shell.fastcli (notebook 07-shell-quoting).
# The script for the container's bash is a constant in single quotes; the text travels as an
# argument ($1 of the inner shell, after the $0 placeholder "_"), so no quoting of the text is
# needed at all. ${commands@Q} inside the -c string would also work (bash ≥ 4.4 on both sides).
fast_cli() {
  docker exec "${1}" bash -c 'echo -e "$1" | FastCli -p15 -e' _ "${commands}"
}
