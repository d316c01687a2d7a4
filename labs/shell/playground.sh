# Shell-quoting sandbox (notebook 07-shell-quoting, section 5).
# Run it with:   npx wirelab shell sandbox labs/shell/playground.sh
# docker, ssh and FastCli are FAKES here: they print nothing to the switch, they record what
# they receive (argv, and FastCli's stdin) and pass the command on like the real tools:
#   docker exec [opts] CONTAINER CMD…  runs CMD… directly (no shell)
#   ssh [opts] HOST CMD…               joins CMD… with spaces and runs it with bash -c
# Things to try: put a ' or a " or a $ in commands and watch what the container's bash receives;
# then swap in the blog's replacement below. Making fast_cli carry ANY text intact is the
# exercise shell.fastcli (exercises/shell/fast_cli.sh), so no fixed version is given here.

commands='configure\n interface Ethernet1\n description uplink to core\n end\n write'

# The original from the post "Bash: shell quoting" (breaks on a ' in commands):
fast_cli() {
  docker exec "${1}" bash -c "echo -e ${commands} | FastCli -p15 -e"
}

# The blog's replacement (breaks on ', turns quotes inside the value into data):
# fast_cli() {
#   docker exec "${1}" bash -c 'echo -e '"'${commands}'"' | FastCli -p15 -e'
# }

fast_cli sp01

# Two levels: through a jump host, then into the container.
ssh -p 2222 jump1 docker exec sp02 bash -c "'echo show version | FastCli -p15 -e'"
