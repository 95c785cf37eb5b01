import Foundation
public import Prometheus

/// The gateway's Prometheus metrics. Labels are routes (templates, never ids), methods, status
/// codes, formats, decisions and reason codes: never a name, an id or a document value.
public final class APIMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    static let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "y2a_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))],
            help: "HTTP requests answered, by route template, method and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "y2a_http_request_duration_seconds", labels: [("route", route), ("method", method)], buckets: Self.buckets,
            help: "Time to answer an HTTP request, by route template and method."
        ).record(duration)
    }

    func documentValidated(format: String?, valid: Bool) {
        registry.makeCounter(
            name: "y2a_documents_validated_total", labels: [("format", format ?? "unknown"), ("valid", valid ? "true" : "false")],
            help: "Documents validated through the API, by format and outcome."
        ).increment()
    }

    func packageDecided(decision: String, reason: String) {
        registry.makeCounter(
            name: "y2a_packages_decided_total", labels: [("decision", decision), ("reason", reason)],
            help: "Transfer packages decided through the API, by decision and first reason code."
        ).increment()
    }

    /// The nightly batch's runs by status, as the store counts them (`y2a batch` runs in its
    /// own process, so its runs are read from the shared store when the metrics are asked for).
    func batchRuns(_ counts: [String: Int]) {
        for status in Set(counts.keys).union(["finished", "failed", "interrupted"]) {
            registry.makeGauge(
                name: "y2a_batch_runs", labels: [("status", status)],
                help: "Runs of y2a batch recorded in the store, by status."
            ).set(Int64(counts[status] ?? 0))
        }
    }

    /// The text exposition format.
    public func exposition() -> String { registry.emitToString() }
}
