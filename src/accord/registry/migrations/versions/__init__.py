"""Migration scripts, one per schema revision (a package so installs include them)."""
