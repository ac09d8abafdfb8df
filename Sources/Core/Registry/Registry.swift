import Synchronization

/// Every object the API lists, by kind and key, and the source of the event stream's
/// created/updated/removed events. Subsystems own their sessions and keep their objects here
/// up to date; REST finders and the console read from here.
public final class Registry: Sendable {
    private let objects = Mutex<[ObjectKind: [String: any APIObject]]>([:])
    /// Where changes are announced.
    public let bus: EventBus

    public init(bus: EventBus) {
        self.bus = bus
    }

    /// Adds or replaces an object and announces it (`created` or `updated`).
    public func upsert(_ object: some APIObject) {
        let kind = type(of: object).kind
        objects.withLock { all in
            let existed = all[kind, default: [:]].updateValue(object, forKey: object.objectID) != nil
            bus.publish(existed ? .updated(object) : .created(object))
        }
    }

    /// Changes an existing object in place and announces it; returns nil when it is gone.
    @discardableResult
    public func update<T: APIObject>(_ type: T.Type, id: String, _ change: (inout T) -> Void) -> T? {
        objects.withLock { all -> T? in
            guard var object = all[T.kind]?[id] as? T else { return nil }
            change(&object)
            all[T.kind, default: [:]][id] = object
            bus.publish(.updated(object))
            return object
        }
    }

    /// Removes an object and announces it; returns the removed object.
    @discardableResult
    public func remove<T: APIObject>(_ type: T.Type, id: String) -> T? {
        objects.withLock { all -> T? in
            guard let object = all[T.kind]?.removeValue(forKey: id) else { return nil }
            bus.publish(.removed(object))
            return object as? T
        }
    }

    /// One object by key.
    public func get<T: APIObject>(_ type: T.Type, id: String) -> T? {
        objects.withLock { $0[T.kind]?[id] as? T }
    }

    /// All objects of a kind, oldest key first (sorted by key for a stable order).
    public func all<T: APIObject>(_ type: T.Type) -> [T] {
        objects.withLock { all in
            (all[T.kind] ?? [:]).sorted { $0.key < $1.key }.compactMap { $0.value as? T }
        }
    }

    /// How many objects of each kind exist.
    public func counts() -> [ObjectKind: Int] {
        objects.withLock { $0.mapValues(\.count) }
    }

    /// A snapshot of every object set plus a subscription that continues exactly after it:
    /// no change can fall between the two. The log ring is frozen too, so its tail and the
    /// log events that follow do not overlap. `dropped` counts the events the subscription loses
    /// when its reader falls behind (`EventBus.subscribe(countingDropsIn:)`).
    public func snapshotAndSubscribe(
        logs: LogRing, countingDropsIn dropped: DropCounter? = nil
    ) -> (objects: [ObjectKind: [any APIObject]], logs: [LogRecord], events: AsyncStream<Event>) {
        objects.withLock { all in
            logs.withFrozen { tail in
                let snapshot = all.mapValues { $0.sorted { $0.key < $1.key }.map(\.value) }
                return (snapshot, tail, bus.subscribe(countingDropsIn: dropped))
            }
        }
    }
}
