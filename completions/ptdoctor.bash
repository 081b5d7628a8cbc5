# bash completion for ptdoctor(1). Installed as <datadir>/bash-completion/completions/ptdoctor.

_ptdoctor() {
  local cur prev words cword
  _init_completion || return

  local commands="check facts plugins rules explain plan fix rollback verify snapshot"
  local global="-v --verbose -q --quiet -V --version -h --help --color --no-color"
  local catalogue="--plugin-dir --rules --no-default-plugins --no-default-rules"
  local host="--root --snapshot --spec --gpu --usb --kernel-config $catalogue"
  local domu="--name --memory --vcpus --disk --bridge --cdrom"

  local command="" word
  for word in "${words[@]:1:cword-1}"; do
    case " $commands " in *" $word "*) command=$word; break ;; esac
  done

  case $prev in
    --root | --plugin-dir) _filedir -d; return ;;
    --rules) _filedir '@(yaml|yml)'; _filedir -d; return ;;
    --snapshot | --plan) _filedir '@(gz|json)'; return ;;
    --spec) _filedir '@(yaml|yml)'; return ;;
    --kernel-config | -o | --output) _filedir; return ;;
    --format)
      case $command in
        check) COMPREPLY=($(compgen -W "text json markdown html" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
      esac
      return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --gpu | --usb | --name | --memory | --vcpus | --disk | --bridge | --cdrom) return ;;
  esac

  local options
  case $command in
    "") COMPREPLY=($(compgen -W "$commands $global" -- "$cur")); return ;;
    check) options="$host --format -o --output --all --redact --no-facts" ;;
    facts) options="$host -o --output --redact" ;;
    plugins) options="$catalogue --json" ;;
    rules) options="$catalogue --json" ;;
    explain)
      if [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$(ptdoctor rules 2>/dev/null | awk '{print $1}' | grep -F .)" -- "$cur"))
        return
      fi
      options="$catalogue --json" ;;
    plan) options="$host $domu --format -o --output" ;;
    fix) options="$host $domu --apply -y --yes --plan" ;;
    rollback) options="--root -y --yes --list" ;;
    verify) options="$host --format" ;;
    snapshot) options="$host -o --output --redact" ;;
  esac
  COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
}
complete -F _ptdoctor ptdoctor
