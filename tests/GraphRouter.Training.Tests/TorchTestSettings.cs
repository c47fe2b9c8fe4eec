// libtorch's default random generator is process-wide: tests that seed it must not run beside others that draw from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
