@_exported import EpsomStats
