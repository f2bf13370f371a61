*** Test Cases ***
Shows The Profile
    Log    passes before the suite teardown fails
