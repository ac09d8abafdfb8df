import Testing

@Test func rtmptestsBuilds() {}
