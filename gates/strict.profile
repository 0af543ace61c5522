# kvmaudit profile "strict": every check of the catalogue, of every severity,
# including site checks added with --checks DIR.
#
# Format: see baseline.profile.
*
