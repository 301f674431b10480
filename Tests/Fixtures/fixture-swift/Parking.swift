// The functions the fixture's threads park in. @inline(never) keeps each one a
// real frame under -O; none of them returns, so each stays on its stack.
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The flag the spinner waits on; never cleared. Atomic, because under -O a
/// plain global that nothing writes is folded to a constant and the empty spin
/// loop over it is deleted outright.
let hold = Atomic<Int32>(1)


/// The pipe the reader blocks on; nothing is ever written to it.
nonisolated(unsafe) var pipeFDs: [Int32] = [-1, -1]

@inline(never) func spinOnHold() {
    announceParking(.spin)
    while hold.load(ordering: .relaxed) != 0 {}
    while true { sleep(1) }
}

@inline(never) func sleepInUsleep() {
    announceParking(.sleep)
    while true { usleep(500_000) }
}

@inline(never) func blockInRead() {
    announceParking(.read)
    var byte: UInt8 = 0
    while true {
        if read(pipeFDs[0], &byte, 1) <= 0 { sleep(1) }
    }
}
