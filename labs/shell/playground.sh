# Shell-quoting sandbox (notebook 07-shell-quoting, section 5).
# Run it with:   npx wirelab shell sandbox labs/shell/playground.sh
# docker, ssh and FastCli are FAKES here: they print nothing to the switch, they record what
# they receive (argv, and FastCli's stdin) and pass the command on like the real tools:
#   docker exec [opts] CONTAINER CMD…  runs CMD… directly (no shell)
#   ssh [opts] HOST CMD…               joins CMD… with spaces and runs it with bash -c
# Things to try: swap in the original or the blog version of fast_cli; put a ' or a "
# in commands; drop the _ after the -c script; remove the quotes around "$1".

commands='configure\n interface Ethernet1\n description it'\''s the "uplink" to $CORE\n end\n write'

fast_cli() {
  docker exec "${1}" bash -c 'echo -e "$1" | FastCli -p15 -e' _ "${commands}"
}

# The original from the post "Bash: shell quoting" (breaks on the ' above):
# fast_cli() {
#   docker exec "${1}" bash -c "echo -e ${commands} | FastCli -p15 -e"
# }

# The blog's replacement (breaks on ', turns quotes inside the value into data):
# fast_cli() {
#   docker exec "${1}" bash -c 'echo -e '"'${commands}'"' | FastCli -p15 -e'
# }

fast_cli sp01

# Two levels: through a jump host, then into the container.
ssh -p 2222 jump1 docker exec sp02 bash -c "'echo show version | FastCli -p15 -e'"
