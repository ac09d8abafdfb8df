import CSofiaSIP

/// One nua event, copied out of sofia's memory on the root thread so it can travel anywhere.
struct AgentEvent: Sendable {
    /// What happened (the subset of `nua_event_t` the call logic acts on).
    enum Kind: Sendable, Equatable {
        /// Response to our REGISTER (`nua_r_register`).
        case registerResponse
        /// Response to our INVITE (`nua_r_invite`), provisional or final.
        case inviteResponse
        /// Response to our BYE (`nua_r_bye`).
        case byeResponse
        /// Response to our CANCEL (`nua_r_cancel`).
        case cancelResponse
        /// Response to our INFO (`nua_r_info`).
        case infoResponse
        /// A new INVITE from outside (`nua_i_invite` on a handle the stack made); the agent has
        /// bound the handle to `handleID`, and it waits for `SofiaAgent.respond`.
        case incomingInvite
        /// The far end sent a re-INVITE in our dialog (`nua_i_invite` on our handle), e.g. hold;
        /// it waits for `SofiaAgent.respond`.
        case reinvite
        /// The far end hung up (`nua_i_bye`).
        case remoteBye
        /// The caller's ACK of our 200 (`nua_i_ack`); its body answers an offer made in the 200.
        case ack
        /// The caller cancelled its INVITE (`nua_i_cancel`); sofia has answered 200 and 487.
        case cancel
        /// The call state changed (`nua_i_state`); see `callState`.
        case state
        /// The handle's usages are all gone (`nua_i_terminated`).
        case terminated
        /// Any other event, by sofia's name.
        case other(String)
    }

    /// The event.
    var kind: Kind
    /// Our id for the handle (its hmagic); 0 for handles the stack created.
    var handleID: Int
    /// SIP status (or sofia's internal 9xx).
    var status: Int
    /// Reason phrase.
    var phrase: String
    /// The message body, when there is one (the SDP answer of a 200 or 183).
    var body: String?
    /// `enum nua_callstate` for `.state` events, else nil.
    var callState: Int?
    /// The realm of a 401/407 challenge, quotes included, as NUTAG_AUTH wants it.
    var realm: String?
    /// For `.incomingInvite`: the user parts of From and of the Request-URI.
    var caller: String?
    /// See `caller`.
    var callee: String?
}

/// The `enum nua_callstate` values the call logic needs, taken from sofia's header.
enum CallState {
    /// `nua_callstate_ready`: 2xx received and ACK sent, the call is established.
    static let ready = Int(nua_callstate_ready.rawValue)
    /// `nua_callstate_terminated`: the call is over.
    static let terminated = Int(nua_callstate_terminated.rawValue)
}
