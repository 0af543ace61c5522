#!/usr/bin/env bash
# The style rules of STYLE.md that a machine can check: no unbounded string
# functions, no ad-hoc integer parsing, no shell-outs, and host files opened
# only by src/host/ (tool inputs only by src/basic/fileio.c).
# Usage: style.sh SOURCE_ROOT
set -u
cd "$1/src" || exit 2
fail=0
total=0
check() { # DESCRIPTION REGEX [EXCLUDED FILE REGEX]
        local hits
        total=$((total + 1))
        hits=$(grep -nE "$2" -r --include='*.c' --include='*.h' . | grep -vE "${3:-^$}" | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)')
        if [ -n "$hits" ]; then
                echo "not ok - $1:"; echo "$hits" | sed 's/^/    /'; fail=$((fail + 1))
        else
                echo "ok - $1"
        fi
}
check "no sprintf/vsprintf (use snprintf, xasprintf)" '(^|[^a-z_])v?sprintf\(' 
check "no strcpy/strcat" '\b(strcpy|strcat|stpcpy)\('
check "no atoi/atol, strtol family only in the parse helpers" '\b(atoi|atol|atoll|strtol|strtoll|strtoul|strtoull|strtod)\(' '^\./basic/util\.c:'
check "no system/popen" '\b(system|popen)\('
check "host files opened only in src/host/" '\b(open|openat|opendir|fopen|fdopendir)\(' '^\./(host/|basic/fileio\.c:)'
# Item 10 of issue 11: one rule for every file the tool writes (a regular
# file replaced atomically, a device or FIFO written through, never
# replaced), so only fileio.c creates, replaces or renames files.  The one
# exception: profile selinux renames the new --output-dir it filled.
check "output files written only through output_file_*() (basic/fileio.c)" \
        '\b(fopen|freopen|fdopen|creat|mkstemps?|mkostemps?|rename|renameat2?|linkat|unlinkat|truncate|ftruncate)\(' \
        '^\./(basic/fileio\.c:|cli/cli-profile\.c:.*rename\(tmpdir, dir\))'
# Item 8 of issue 11: entity expansion, DTD and network loads are closed in
# one place, so no other file may start a libxml2 parse or expand a node's
# entities itself.
check "XML read only through src/xml/xml-read.c (xml_read, xml_node_text)" \
        '\b(xmlRead[A-Za-z]*|xmlParse[A-Za-z]*|xmlCtxtRead[A-Za-z]*|xmlCtxtReset[A-Za-z]*|xmlCreate[A-Za-z]*ParserCtxt|xmlSAX[A-Za-z]*Parse[A-Za-z]*|xmlReaderFor[A-Za-z]*|xmlNewTextReader[A-Za-z]*|html(Read|Parse|CtxtRead)[A-Za-z]*|xmlNodeGetContent|xmlNodeListGetString|xmlStringGetNodeList|xmlXInclude[A-Za-z]*)\(' \
        '^\./xml/xml-read\.c:'
echo "$((total - fail)) passed, $fail failed"
[ "$fail" = 0 ]
