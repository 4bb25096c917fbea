@_exported import Reel
