"""KerasTuner hypermodels and tuning jobs for the rnn_keras builders.

The hypermodels arrive with the tuning issue; this package is declared now so
that the installed layout does not change under users.
"""
