*** Test Cases ***
Pays By Card
    Log    never runs
