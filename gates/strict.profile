# kvmaudit profile "strict": every check of the catalogue, of every severity,
# including site checks added with --checks DIR.
#
# Format: see baseline.profile.

# The gate fails when fewer than this share of the selected checks was
# judged (pass, fail or waived): every check, including those that do not
# apply to this host.
# --min-coverage overrides it.
min-coverage = 40
*
