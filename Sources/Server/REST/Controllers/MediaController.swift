import Core

/// `/media/*`: the media folder. A Switchboard extension: WCS has no method to list media
/// files, and an operator picking a sound or a VOD file needs the names.
enum MediaController {
    static let methods: [RESTMethod] = [
        RESTMethod("media/find_all",
                   "List the files in the media folder (<data>/media/) that sound, call and VOD methods accept (Switchboard extension, not in WCS)",
                   response: .list("MediaFile"), isExtension: true) { call in
            .json(try call.services.require(call.services.media, "media listing").files())
        },
    ]
}
