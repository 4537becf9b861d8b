/**
 * Basic or Bearer credentials (a webhook's to its destination, a source's from its sender): the
 * type, then username and password, or the token; secrets masked, with their hints and errors.
 */
import { Field, describedBy } from './Field';
import { SecretField } from './SecretField';

export type AuthType = 'none' | 'basic' | 'bearer';

/** The form fields these edit (webhook and source forms both have them). */
export interface AuthForm {
	authType: AuthType;
	username: string;
	password: string;
	token: string;
}

interface Props {
	/** Field ids are `<idPrefix>-auth`, `-username`, `-password`, `-token`. */
	idPrefix: string;
	label: string;
	hint: string;
	types: readonly { value: AuthType; label: string }[];
	form: AuthForm;
	errorFor: (path: string) => string | null;
	onChange: (changes: Partial<AuthForm>, path: string) => void;
	passwordHint?: string;
	token: { label: string; hint: string; required: boolean };
}

export function AuthFields({ idPrefix, label, hint, types, form, errorFor, onChange, passwordHint, token }: Props) {
	const id = (field: string) => `${idPrefix}-${field}`;
	return (
		<>
			<Field id={id('auth')} label={label} error={errorFor('/auth')} hint={hint}>
				<select
					{...describedBy(id('auth'), errorFor('/auth'))}
					value={form.authType}
					onChange={(event) => onChange({ authType: event.currentTarget.value as AuthType }, '/auth')}
				>
					{types.map((type) => (
						<option key={type.value} value={type.value}>
							{type.label}
						</option>
					))}
				</select>
			</Field>
			{form.authType === 'basic' && (
				<div class="row">
					<Field id={id('username')} label="Username" required error={errorFor('/auth/username')}>
						<input
							{...describedBy(id('username'), errorFor('/auth/username'), false)}
							autocomplete="off"
							value={form.username}
							onInput={(event) => onChange({ username: event.currentTarget.value }, '/auth/username')}
						/>
					</Field>
					<SecretField
						id={id('password')}
						label="Password"
						value={form.password}
						onInput={(password) => onChange({ password }, '/auth/password')}
						error={errorFor('/auth/password')}
						hint={passwordHint}
					/>
				</div>
			)}
			{form.authType === 'bearer' && (
				<SecretField
					id={id('token')}
					label={token.label}
					value={form.token}
					onInput={(value) => onChange({ token: value }, '/auth/token')}
					error={errorFor('/auth/token')}
					hint={token.hint}
					required={token.required}
				/>
			)}
		</>
	);
}
