# Exercise shell.fastcli (notebook 07-shell-quoting).
# This is the function from the post "Bash: shell quoting". With commands='configure\n description it'"'"'s\n end'
# FastCli never runs: the container's bash sees an unterminated quote.
# Make ANY command text reach FastCli exactly as `echo -e "$commands"` prints it.
# Keep using docker exec "$1" and FastCli -p15 -e. Grade with: npx wirelab grade shell.fastcli
fast_cli() {
  docker exec "${1}" bash -c "echo -e ${commands} | FastCli -p15 -e"
}
