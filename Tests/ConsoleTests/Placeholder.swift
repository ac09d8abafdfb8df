import Testing

@Test func consoletestsBuilds() {}
