import ServiceLifecycle
import WardenStore

/// Answers the store's requests for WAL checkpoints (see ``WALCheckpointer``), off the writer
/// thread, until shutdown; closing the store checkpoints what is left.
struct WALCheckpointService: Service {
    let checkpointer: WALCheckpointer

    func run() async throws {
        await cancelWhenGracefulShutdown { [checkpointer] in
            for await _ in checkpointer.requests {
                await BlockingWork.run { checkpointer.checkpoint() }
            }
        }
    }
}
