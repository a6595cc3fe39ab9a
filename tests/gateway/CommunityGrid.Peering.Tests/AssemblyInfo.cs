// Socket tests share two cores and the stalled-peer test measures the heap: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
