@testable import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every rule of `TraceeTransitions`, without a process: what each
/// observation and request does to a thread in each state.
@Suite struct TraceeTransitionTests {
    func tracee(_ state: TraceeState, _ intent: TraceeIntent = .letRun) -> Tracee {
        Tracee(tid: 101, processID: 100, state: state, intent: intent)
    }

    func next(_ state: TraceeState, _ intent: TraceeIntent = .letRun, on input: TraceeInput) -> TraceeTransition? {
        TraceeTransitions.next(tracee(state, intent), on: input)
    }

    func expect(
        _ transition: TraceeTransition?, _ state: TraceeState, _ intent: TraceeIntent, _ action: TraceeAction,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(transition == TraceeTransition(tracee: tracee(state, intent), action: action), sourceLocation: sourceLocation)
    }

    func expectLetGo(_ transition: TraceeTransition?, signal: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(transition == TraceeTransition(tracee: nil, action: .detach(signal: signal)), sourceLocation: sourceLocation)
    }

    // MARK: Observations while running

    @Test func aLateInterruptStopIsResumed() {
        expect(next(.running, on: .observed(.interruptStop)), .running, .letRun, .resume(signal: 0))
    }

    @Test func anInterruptStopDuringAStopIsKept() {
        expect(next(.running, .keepStopped, on: .observed(.interruptStop)), .stopped(.interrupted), .keepStopped, .none)
    }

    @Test func aGroupStopIsLeftListening() {
        expect(next(.running, on: .observed(.groupStop(signal: SIGSTOP))), .listening, .letRun, .listen)
    }

    @Test func aGroupStopDuringAStopIsKept() {
        expect(next(.running, .keepStopped, on: .observed(.groupStop(signal: SIGTSTP))),
               .stopped(.groupStop(signal: SIGTSTP)), .keepStopped, .none)
    }

    @Test func aCaughtSignalIsPassedOn() {
        expect(next(.running, on: .observed(.signalDelivery(SIGUSR1))), .running, .letRun, .resume(signal: SIGUSR1))
    }

    @Test func aCaughtSignalDuringAStopWaitsForItsEnd() {
        expect(next(.running, .keepStopped, on: .observed(.signalDelivery(SIGTERM))),
               .stopped(.signal(SIGTERM)), .keepStopped, .none)
    }

    @Test func aSIGTRAPNotFromOurStepIsTheTargetsOwnSignal() {
        expect(next(.running, on: .observed(.signalDelivery(SIGTRAP))), .running, .letRun, .resume(signal: SIGTRAP))
    }

    @Test func anEventStopIsResumedWithoutASignal() {
        expect(next(.running, on: .observed(.event(.clone))), .running, .letRun, .resume(signal: 0))
        expect(next(.running, .keepStopped, on: .observed(.event(.exec))), .stopped(.event(.exec)), .keepStopped, .none)
    }

    @Test func anExitForgetsTheThreadWhateverItWasDoing() {
        for state in Self.states {
            #expect(next(state, on: .observed(.exited(.killed(signal: SIGKILL)))) == TraceeTransition(tracee: nil, action: .none))
        }
    }

    @Test func aListeningThreadWokenBySIGCONTRunsOn() {
        expect(next(.listening, on: .observed(.interruptStop)), .running, .letRun, .resume(signal: 0))
        expect(next(.listening, on: .observed(.signalDelivery(SIGCONT))), .running, .letRun, .resume(signal: SIGCONT))
    }

    @Test func anInterruptedListeningThreadReportsItsGroupStop() {
        expect(next(.listening, .keepStopped, on: .observed(.groupStop(signal: SIGSTOP))),
               .stopped(.groupStop(signal: SIGSTOP)), .keepStopped, .none)
    }

    // MARK: Single steps

    @Test func theTrapAfterOurStepIsTheStep() {
        expect(next(.stepping(owing: .nothing), .keepStopped, on: .observed(.signalDelivery(SIGTRAP))),
               .stopped(.stepped(owing: .nothing)), .keepStopped, .none)
    }

    @Test func aStepKeepsTheSignalItStillOwes() {
        expect(next(.stepping(owing: .signal(SIGUSR2)), .keepStopped, on: .observed(.signalDelivery(SIGTRAP))),
               .stopped(.stepped(owing: .signal(SIGUSR2))), .keepStopped, .none)
    }

    @Test func anotherSignalDuringAStepIsASignalStop() {
        expect(next(.stepping(owing: .nothing), .keepStopped, on: .observed(.signalDelivery(SIGALRM))),
               .stopped(.signal(SIGALRM)), .keepStopped, .none)
    }

    @Test func aStepStartsOnlyFromAStop() {
        expect(next(.stopped(.interrupted), .keepStopped, on: .singleStep), .stepping(owing: .nothing), .keepStopped, .singleStep)
        expect(next(.stopped(.event(.clone)), .keepStopped, on: .singleStep), .stepping(owing: .nothing), .keepStopped, .singleStep)
        expect(next(.stopped(.signal(SIGINT)), .keepStopped, on: .singleStep),
               .stepping(owing: .signal(SIGINT)), .keepStopped, .singleStep)
        expect(next(.stopped(.groupStop(signal: SIGSTOP)), .keepStopped, on: .singleStep),
               .stepping(owing: .groupStop), .keepStopped, .singleStep)
        expect(next(.stopped(.stepped(owing: .signal(SIGINT))), .keepStopped, on: .singleStep),
               .stepping(owing: .signal(SIGINT)), .keepStopped, .singleStep)
        for state: TraceeState in [.running, .listening, .stepping(owing: .nothing), .held(.birth, stop: nil),
                                   .held(.birth, stop: .interrupted)] {
            #expect(next(state, .keepStopped, on: .singleStep) == nil, "\(state)")
        }
    }

    // MARK: Interrupt: a stop begins

    @Test func interruptingARunningThreadSendsTheInterrupt() {
        for state: TraceeState in [.running, .listening, .stepping(owing: .nothing), .held(.birth, stop: nil)] {
            expect(next(state, on: .interrupt), state, .keepStopped, .interrupt)
        }
    }

    @Test func aThreadAlreadyStoppedIsNotInterruptedAgain() {
        for state: TraceeState in [.stopped(.signal(SIGUSR1)), .stopped(.groupStop(signal: SIGSTOP)),
                                   .held(.birth, stop: .interrupted)] {
            expect(next(state, on: .interrupt), state, .keepStopped, .none)
        }
    }

    @Test func aThreadBeingLetGoStaysSoWhenInterrupted() {
        expect(next(.running, .detachWhenStopped, on: .interrupt), .running, .detachWhenStopped, .interrupt)
    }

    // MARK: Resume: a stop ends

    @Test func resumingRestartsEachKindOfStopWithoutLosingAnything() {
        expect(next(.stopped(.interrupted), .keepStopped, on: .resume), .running, .letRun, .resume(signal: 0))
        expect(next(.stopped(.event(.fork)), .keepStopped, on: .resume), .running, .letRun, .resume(signal: 0))
        expect(next(.stopped(.signal(SIGTERM)), .keepStopped, on: .resume), .running, .letRun, .resume(signal: SIGTERM))
        expect(next(.stopped(.stepped(owing: .nothing)), .keepStopped, on: .resume), .running, .letRun, .resume(signal: 0))
        expect(next(.stopped(.stepped(owing: .signal(SIGHUP))), .keepStopped, on: .resume),
               .running, .letRun, .resume(signal: SIGHUP))
    }

    @Test func aGroupStoppedThreadStaysStoppedForTheUser() {
        expect(next(.stopped(.groupStop(signal: SIGSTOP)), .keepStopped, on: .resume), .listening, .letRun, .listen)
        // Stepped out of the group-stop, it traps straight back into it.
        expect(next(.stopped(.stepped(owing: .groupStop)), .keepStopped, on: .resume), .running, .letRun, .reenterGroupStop)
    }

    @Test func resumingAThreadThatDidNotStopOnlyLetsItRun() {
        for state: TraceeState in [.running, .listening, .stepping(owing: .nothing)] {
            expect(next(state, .keepStopped, on: .resume), state, .letRun, .none)
        }
    }

    @Test func aHeldThreadStaysHeldWhenAStopEnds() {
        expect(next(.held(.birth, stop: .interrupted), .keepStopped, on: .resume), .held(.birth, stop: .interrupted), .letRun, .none)
        expect(next(.held(.birth, stop: nil), .keepStopped, on: .resume), .held(.birth, stop: nil), .letRun, .none)
    }

    @Test func resumingAThreadBeingLetGoDetachesItIfStopped() {
        expectLetGo(next(.held(.birth, stop: .signal(SIGUSR1)), .detachWhenStopped, on: .resume), signal: SIGUSR1)
        expect(next(.running, .detachWhenStopped, on: .resume), .running, .detachWhenStopped, .none)
    }

    // MARK: Hold and release

    @Test func aThreadBornWithHoldNewIsHeldThroughItsFirstStop() {
        expect(next(.running, on: .hold(.birth)), .held(.birth, stop: nil), .letRun, .none)
        expect(next(.held(.birth, stop: nil), on: .observed(.interruptStop)), .held(.birth, stop: .interrupted), .letRun, .none)
        expect(next(.held(.birth, stop: nil), on: .observed(.groupStop(signal: SIGSTOP))),
               .held(.birth, stop: .groupStop(signal: SIGSTOP)), .letRun, .none)
    }

    @Test func holdingKeepsTheStopItIsIn() {
        expect(next(.stopped(.signal(SIGUSR1)), .keepStopped, on: .hold(.birth)),
               .held(.birth, stop: .signal(SIGUSR1)), .keepStopped, .none)
        expect(next(.listening, on: .hold(.birth)), .held(.birth, stop: nil), .letRun, .none)
    }

    @Test func aSteppingThreadOrOneBeingLetGoCannotBeHeld() {
        #expect(next(.stepping(owing: .nothing), on: .hold(.birth)) == nil)
        #expect(next(.running, .detachWhenStopped, on: .hold(.birth)) == nil)
    }

    @Test func releasingRestartsTheThreadAsItsStopRequires() {
        expect(next(.held(.birth, stop: .interrupted), on: .release), .running, .letRun, .resume(signal: 0))
        expect(next(.held(.birth, stop: .signal(SIGCHLD)), on: .release), .running, .letRun, .resume(signal: SIGCHLD))
        expect(next(.held(.birth, stop: .groupStop(signal: SIGSTOP)), on: .release), .listening, .letRun, .listen)
    }

    @Test func releasingBeforeTheFirstStopLetsThatStopBeResumed() {
        let released = next(.held(.birth, stop: nil), on: .release)
        expect(released, .running, .letRun, .none)
        expect(TraceeTransitions.next(released!.tracee!, on: .observed(.interruptStop)), .running, .letRun, .resume(signal: 0))
    }

    @Test func releasingDuringAStopKeepsItStoppedUntilTheEnd() {
        expect(next(.held(.birth, stop: .interrupted), .keepStopped, on: .release), .stopped(.interrupted), .keepStopped, .none)
    }

    @Test func onlyAHeldThreadCanBeReleased() {
        for state: TraceeState in [.running, .listening, .stepping(owing: .nothing), .stopped(.interrupted)] {
            #expect(next(state, on: .release) == nil, "\(state)")
        }
    }

    // MARK: Detach

    @Test func detachingAStoppedThreadPassesOnWhatItCaught() {
        expectLetGo(next(.stopped(.signal(SIGTERM)), .keepStopped, on: .detach), signal: SIGTERM)
        expectLetGo(next(.stopped(.stepped(owing: .signal(SIGINT))), .keepStopped, on: .detach), signal: SIGINT)
        expectLetGo(next(.stopped(.interrupted), .keepStopped, on: .detach), signal: 0)
        // The kernel puts a group-stopped thread back into its stop.
        expectLetGo(next(.stopped(.groupStop(signal: SIGSTOP)), .keepStopped, on: .detach), signal: 0)
        expectLetGo(next(.stopped(.stepped(owing: .groupStop)), .keepStopped, on: .detach), signal: 0)
        // Nothing stays stopped after us: held threads go too.
        expectLetGo(next(.held(.birth, stop: .interrupted), on: .detach), signal: 0)
    }

    @Test func aThreadThatIsNotStoppedIsLetGoAtItsNextStop() {
        for state: TraceeState in [.running, .listening, .stepping(owing: .nothing), .held(.birth, stop: nil)] {
            let marked = next(state, .keepStopped, on: .detach)
            expect(marked, state, .detachWhenStopped, .none)
        }
        expectLetGo(next(.running, .detachWhenStopped, on: .observed(.signalDelivery(SIGUSR1))), signal: SIGUSR1)
        expectLetGo(next(.held(.birth, stop: nil), .detachWhenStopped, on: .observed(.interruptStop)), signal: 0)
        expectLetGo(next(.stepping(owing: .signal(SIGINT)), .detachWhenStopped, on: .observed(.signalDelivery(SIGTRAP))), signal: SIGINT)
    }

    // MARK: What cannot happen

    static let stops: [TraceeStop] = [
        .interrupted, .groupStop(signal: SIGSTOP), .signal(SIGUSR1), .stepped(owing: .nothing),
        .stepped(owing: .signal(SIGINT)), .stepped(owing: .groupStop), .event(.clone), .event(.other(5)),
    ]
    static let states: [TraceeState] = [.running, .listening, .stepping(owing: .nothing), .stepping(owing: .groupStop),
                                        .held(.birth, stop: nil)]
        + stops.map { .stopped($0) } + stops.map { .held(.birth, stop: $0) }
    static let inputs: [TraceeInput] = [
        .interrupt, .resume, .singleStep, .hold(.birth), .release, .detach,
        .observed(.interruptStop), .observed(.groupStop(signal: SIGSTOP)), .observed(.signalDelivery(SIGTRAP)),
        .observed(.signalDelivery(SIGUSR1)), .observed(.event(.clone)), .observed(.event(.exec)),
        .observed(.exited(.exited(code: 0))),
    ]

    /// A stopped thread nobody wants stopped, or one in a stop we mean to
    /// let go of, would stay stopped for ever.
    static func isPossible(_ tracee: Tracee) -> Bool {
        switch tracee.state {
        case .stopped: tracee.intent == .keepStopped
        case .held(_, stop: _?): tracee.intent != .detachWhenStopped
        default: true
        }
    }

    @Test func noTransitionMakesAnImpossibleThread() {
        var checked = 0
        for state in Self.states {
            for intent in [TraceeIntent.letRun, .keepStopped, .detachWhenStopped] where Self.isPossible(tracee(state, intent)) {
                for input in Self.inputs {
                    guard let transition = next(state, intent, on: input) else { continue }
                    checked += 1
                    if let after = transition.tracee {
                        #expect(Self.isPossible(after), "\(state) \(intent) \(input) -> \(after)")
                    }
                    // Restarting a thread needs a stop to restart from, and leaves it out of one.
                    switch transition.action {
                    case .resume, .listen, .singleStep, .reenterGroupStop:
                        if case .observed = input {} else { #expect(state.stop != nil, "\(state) \(intent) \(input)") }
                        #expect(transition.tracee?.state.stop == nil, "\(state) \(intent) \(input)")
                    case .interrupt:
                        #expect(state.stop == nil, "\(state) \(intent) \(input)")
                    case .none, .detach:
                        break
                    }
                }
            }
        }
        #expect(checked > 300)
    }

    @Test func onlyAStopOrAnExitEndsTracing() {
        for state in Self.states {
            for intent in [TraceeIntent.letRun, .keepStopped, .detachWhenStopped] where Self.isPossible(tracee(state, intent)) {
                for input in Self.inputs {
                    guard let transition = next(state, intent, on: input), transition.tracee == nil else { continue }
                    if case .observed(.exited) = input { continue }
                    guard case .detach = transition.action else {
                        Issue.record("\(state) \(intent) \(input) forgot the thread without detaching it")
                        continue
                    }
                    let stoppedWhenLetGo = state.stop != nil || {
                        if case .observed = input { return true } else { return false }
                    }()
                    #expect(stoppedWhenLetGo, "\(state) \(intent) \(input) detached a running thread")
                }
            }
        }
    }

    // MARK: A whole stop, start to end

    @Test func aSignalCaughtDuringAStopIsDeliveredWhenItEnds() {
        let interrupted = next(.running, on: .interrupt)!
        #expect(interrupted.action == .interrupt)
        let caught = TraceeTransitions.next(interrupted.tracee!, on: .observed(.signalDelivery(SIGWINCH)))!
        #expect(caught.action == .none)
        let ended = TraceeTransitions.next(caught.tracee!, on: .resume)!
        #expect(ended == TraceeTransition(tracee: tracee(.running), action: .resume(signal: SIGWINCH)))
        // The interrupt's own stop arrives later and is simply resumed.
        let late = TraceeTransitions.next(ended.tracee!, on: .observed(.interruptStop))!
        #expect(late == TraceeTransition(tracee: tracee(.running), action: .resume(signal: 0)))
    }
}
