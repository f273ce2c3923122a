// Callers of EpsomCore (the CLI, the web app) see the statistics types it speaks in.
@_exported import EpsomStats
