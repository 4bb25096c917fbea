import Testing
@testable import RemoteDispatch
