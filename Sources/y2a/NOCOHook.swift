import Transfers

/// The NOCO generator given to `transfer export`. nil until the NOCO module is merged: a
/// YouthToAdult export then fails with "NOCO generator unavailable".
let nocoProvider: (any NOCOProvider)? = nil
