#!/bin/sh
# make_catalog_backup.pl CATALOG: the name Bareos's stock BackupCatalog job runs
# (`RunBeforeJob = "@scriptdir@/make_catalog_backup.pl MyCatalog"`, from the days its
# script was Perl; newer Bareos calls make_catalog_backup). It is not Perl: it hands
# over to make_catalog_backup beside it, so that a Bareos configuration runs unchanged.
# (A shell script, because node refuses to run a file named .pl as a module.)
exec "$(dirname -- "$0")/make_catalog_backup" "$@"
