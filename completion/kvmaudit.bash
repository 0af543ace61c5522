# bash completion for kvmaudit(1)                      -*- shell-script -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Verbs come from "kvmaudit --help" and check ids from "kvmaudit checks", so
# they follow the binary being completed.  The formats and profiles below are
# static; tests/integration/packaging.sh fails when they drift from the
# binary's own lists.

_kvmaudit_formats="text json junit markdown sarif prometheus html xccdf"
_kvmaudit_profiles="baseline ci-image strict"
_kvmaudit_severities="critical high medium low info"

# The check ids (and, with "categories", the categories) of the catalogue.
_kvmaudit_catalog()
{
        local bin=$1 what=$2
        "$bin" checks 2>/dev/null | while read -r id _; do
                if [[ $what == categories ]]; then
                        printf '%s\n' "${id%%.*}"
                else
                        printf '%s\n' "$id"
                fi
        done | sort -u
}

_kvmaudit()
{
        local cur prev words cword
        if declare -F _init_completion >/dev/null 2>&1; then
                _init_completion || return
        else
                words=("${COMP_WORDS[@]}")
                cword=$COMP_CWORD
                cur=${COMP_WORDS[COMP_CWORD]}
                prev=${COMP_WORDS[COMP_CWORD - 1]}
        fi

        local bin=${words[0]:-kvmaudit}
        [[ $bin == */* || -n $(type -P "$bin") ]] || bin=kvmaudit
        bin=${bin/#\~/$HOME}

        # The verb is the first word after the command that is not an option.
        local verb="" i
        for ((i = 1; i < cword; i++)); do
                if [[ ${words[i]} != -* ]]; then
                        verb=${words[i]}
                        break
                fi
        done

        if [[ -z $verb ]]; then
                local verbs
                verbs=$("$bin" --help 2>/dev/null |
                        awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
                COMPREPLY=($(compgen -W "$verbs --help --version" -- "$cur"))
                return
        fi

        case $prev in
        --root | --checks | --previous)
                COMPREPLY=($(compgen -d -- "$cur"))
                return
                ;;
        --facts | --waivers | --output | -o | --xml)
                COMPREPLY=($(compgen -f -- "$cur"))
                return
                ;;
        --format | -f)
                if [[ $verb == diff ]]; then
                        COMPREPLY=($(compgen -W "text json markdown" -- "$cur"))
                elif [[ $verb == checks ]]; then
                        COMPREPLY=($(compgen -W "text json" -- "$cur"))
                elif [[ $verb == report && " ${words[*]} " == *" --merge "* ]]; then
                        COMPREPLY=($(compgen -W "html markdown json" -- "$cur"))
                else
                        COMPREPLY=($(compgen -W "$_kvmaudit_formats" -- "$cur"))
                fi
                return
                ;;
        --framework)
                COMPREPLY=($(compgen -W "nist-800-53 vmm-srg cci" -- "$cur"))
                return
                ;;
        --profile)
                COMPREPLY=($(compgen -W "$_kvmaudit_profiles" -- "$cur"))
                [[ $cur == */* ]] && COMPREPLY=($(compgen -f -- "$cur"))
                return
                ;;
        --only | --skip)
                COMPREPLY=($(compgen -W "$(_kvmaudit_catalog "$bin" categories)
                                         $(_kvmaudit_catalog "$bin" ids)" -- "$cur"))
                return
                ;;
        --fail-on)
                COMPREPLY=($(compgen -W "$_kvmaudit_severities" -- "$cur"))
                return
                ;;
        --connect)
                COMPREPLY=($(compgen -W "qemu:///system qemu:///session" -- "$cur"))
                return
                ;;
        --domain)
                if type -P virsh >/dev/null 2>&1; then
                        COMPREPLY=($(compgen -W "$(virsh list --all --name 2>/dev/null)" -- "$cur"))
                fi
                return
                ;;
        --fail-under)
                return
                ;;
        esac

        local opts
        case $verb in
        scan)
                opts="--root --facts --connect --inspect-seccomp --debug --format --output --profile --only --skip --checks
                      --reproducible --waivers --fail-under --fail-on --fail-on-error --min-coverage --framework --no-color
                      --quiet --help"
                ;;
        collect)
                opts="--root --connect --inspect-seccomp --debug --output --checks --help"
                ;;
        checks)
                opts="--checks --format --help"
                ;;
        explain)
                opts="--checks --help"
                if [[ $cur != -* ]]; then
                        COMPREPLY=($(compgen -W "$(_kvmaudit_catalog "$bin" ids)" -- "$cur"))
                        return
                fi
                ;;
        report)
                opts="--format --output --no-color --merge --previous --help"
                ;;
        diff)
                opts="--format --output --no-color --help"
                [[ $verb == report ]] && opts="$opts --framework"
                ;;
        profile)
                opts="--domain --xml --connect --output --output-dir --mcs --help"
                if [[ $cur != -* && ${words[cword - 1]} == profile ]]; then
                        COMPREPLY=($(compgen -W "apparmor selinux" -- "$cur"))
                        return
                fi
                ;;
        *)
                opts="--help"
                ;;
        esac
        if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        else
                COMPREPLY=($(compgen -f -- "$cur"))
        fi
}

complete -F _kvmaudit kvmaudit
