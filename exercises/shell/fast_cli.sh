# Exercise shell.fastcli: Fix fast_cli so any command text reaches FastCli (notebook 07-shell-quoting; 7 points: 6 public + 1 hidden)
#
# Edit `exercises/shell/fast_cli.sh` (the function from the post "Bash: shell quoting") so that
# `commands=<any text>; fast_cli sw1` makes FastCli read exactly what `echo -e "$commands"`
# prints, quotes and dollars included. Keep going through `docker exec "$1" bash -c …`.
#
# Grade with: npx wirelab grade shell.fastcli
fast_cli() {
  docker exec "${1}" bash -c "echo -e ${commands} | FastCli -p15 -e"
}
