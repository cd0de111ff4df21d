import ProverCore
import Testing

/// The cores are shared among the proofs running at once.
@Suite("Thread budget")
struct ThreadBudgetTests {
    @Test func aProofAloneGetsEveryCoreAndConcurrentOnesShare() {
        let budget = ThreadBudget(cores: 4)
        let shares = budget.withShare { first in
            budget.withShare { second in
                budget.withShare { third in
                    budget.withShare { fourth in
                        budget.withShare { fifth in [first, second, third, fourth, fifth, budget.runningProofs] }
                    }
                }
            }
        }
        #expect(shares == [4, 2, 1, 1, 1, 5])
        #expect(budget.runningProofs == 0)
        // A running proof's current share follows the others that start and end.
        budget.withShare { first in
            #expect(first == 4 && budget.currentShare == 4)
            budget.withShare { _ in #expect(budget.currentShare == 2) }
            #expect(budget.currentShare == 4)
        }
    }

    @Test func aThrowingProofReturnsItsShare() {
        struct Boom: Error {}
        let budget = ThreadBudget(cores: 2)
        #expect(throws: Boom.self) { try budget.withShare { _ throws(Boom) in throw Boom() } }
        #expect(budget.runningProofs == 0)
        #expect(budget.withShare { $0 } == 2)
        #expect(ThreadBudget(cores: 0).cores == 1)
    }
}
