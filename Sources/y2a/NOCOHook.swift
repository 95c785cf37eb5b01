import Portal
import Transfers

/// The NOCO generator given to `transfer export`: the portal's, with nothing completed by hand
/// (the Transfers module knows only the `NOCOProvider` protocol, so the two modules stay
/// independent of each other).
let nocoProvider: (any NOCOProvider)? = CompletedNOCO()
