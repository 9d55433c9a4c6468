"""Registry: enterprises, projects, monthly progress, honours, first-set products, catalogue, funds,
statistics, industrial chains. The single source of truth every indicator is computed from."""
