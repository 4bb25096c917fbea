// ReelDispatch's HTTP stack is a dependency of Reel's `RemoteDispatch` trait, on by default. A
// package that turned Reel's default traits off (`traits: []`, as `reel plugin new` writes it)
// and then asks for ReelDispatch or ReelCLIDispatch gets this line, not only a missing module.
#if !RemoteDispatch
#error("ReelDispatch needs Reel's RemoteDispatch trait: depend on Reel with its default traits (no traits: argument) or traits: [\"RemoteDispatch\"]")
#endif
