import Testing

@Test func mediatestsBuilds() {}
