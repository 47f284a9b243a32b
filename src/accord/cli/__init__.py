"""Command-line front end. The only place that turns errors into exit codes."""
