package dev.switchboard.sandbox;

/** What the sandbox does for one operation of the contract. */
@FunctionalInterface
interface OperationHandler {

    /**
     * @return the answer body (a generated model of the contract, or a map); it is sent with the operation's success
     *         status
     * @throws SandboxException for an error answer
     */
    Object handle(SandboxRequest request);
}
